"""Platform pieces every domain uses. Imports no domain."""
