-- Typo-tolerant catalog search: when full-text search finds nothing, the catalog
-- ranks packages by trigram word similarity (lib/agents/catalog.ts). Hand-written:
-- the schema does not model extensions.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
