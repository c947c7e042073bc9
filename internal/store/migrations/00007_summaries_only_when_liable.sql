-- A summary of the flagged content is published only for a case held liable at first
-- instance (docs/design.md §6, model.PublishesSummary): a quote found by a search engine
-- names its author, and only a court's decision makes the case a public matter. Imports
-- since this rule keep no summary otherwise; this removes what was stored before it, with
-- the search text made from it, so that neither an answer nor a search can reach it.

-- +goose Up
UPDATE cases SET summary = NULL, search_text = NULL
WHERE summary IS NOT NULL AND (court_decision IS NULL OR court_decision <> 'LIABLE');

-- +goose Down
-- Nothing to restore: the text is gone.
SELECT 1;
