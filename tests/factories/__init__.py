"""factory_boy factories, one module per app; import from here in tests."""
