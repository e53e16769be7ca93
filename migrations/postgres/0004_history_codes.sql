-- Entry history keeps codes and raw values, which the page renders as labels in the reader's
-- language: a field's code (the indicator's name in its own column), a status's code.
ALTER TABLE entry_history ADD COLUMN indicator_name TEXT;

-- "indicator “Name”": the name is the text between the quotes (11 characters before it).
UPDATE entry_history
SET indicator_name = substr(field, 12, length(field) - 12), field = 'indicator'
WHERE field LIKE 'indicator “%”';
UPDATE entry_history SET field = 'evidence' WHERE field = 'evidence links';
UPDATE entry_history SET field = 'as_of' WHERE field = 'as of';

UPDATE entry_history
SET old_value = CASE old_value
        WHEN 'Not started' THEN 'not-started'
        WHEN 'Planned' THEN 'planned'
        WHEN 'In progress' THEN 'in-progress'
        WHEN 'Partially implemented' THEN 'partially-implemented'
        WHEN 'Fully implemented' THEN 'fully-implemented'
        WHEN 'Not applicable' THEN 'not-applicable'
        ELSE old_value END,
    new_value = CASE new_value
        WHEN 'Not started' THEN 'not-started'
        WHEN 'Planned' THEN 'planned'
        WHEN 'In progress' THEN 'in-progress'
        WHEN 'Partially implemented' THEN 'partially-implemented'
        WHEN 'Fully implemented' THEN 'fully-implemented'
        WHEN 'Not applicable' THEN 'not-applicable'
        ELSE new_value END
WHERE field = 'status';
