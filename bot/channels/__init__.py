"""Input channels: REST (hardened), Telegram bridge, web widget."""
