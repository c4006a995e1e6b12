"""newsdesk flows."""
