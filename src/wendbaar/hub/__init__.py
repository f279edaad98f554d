"""The regional knowledge hub: initiatives, matchmaking, agenda actions, events."""
