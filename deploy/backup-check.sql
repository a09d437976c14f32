-- Row count of every table and settlement totals per program and month (psql -XAt):
-- run on a database and on its restored copy, then diff the two outputs.
SELECT 'rows', table_name,
       (xpath('/row/n/text()',
              query_to_xml(format('SELECT count(*) AS n FROM %I.%I', table_schema, table_name),
                           false, true, '')))[1]::text
FROM information_schema.tables
WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
ORDER BY table_name;
SELECT 'settled', program.key, line.month, sum(line.amount)
FROM subsidy_line AS line LEFT JOIN program ON program.id = line.program_id
GROUP BY program.key, line.month
ORDER BY program.key, line.month;
