"""newsdesk expectations."""
