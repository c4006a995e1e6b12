"""newsdesk warehouse."""
