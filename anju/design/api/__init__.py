"""Design's API views, one module per chapter (DRF APIView per operation)."""
