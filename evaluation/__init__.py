"""newsdesk evaluation."""
