"""Support code for the tests (stand-in platforms, tracker builders, browser helpers): no tests."""
