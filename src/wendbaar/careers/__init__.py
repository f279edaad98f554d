"""Loopbaan-APK, mobility paths and the development plan."""
