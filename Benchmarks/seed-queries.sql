SELECT year, month, day, COUNT(*) AS event_count FROM delta_scan('{path}')
GROUP BY year, month, day ORDER BY year DESC, month DESC, day DESC;
SELECT DISTINCT client_ip FROM delta_scan('{path}')
WHERE direction = 'in' AND action NOT IN ('block', 'drop') AND internal_port NOT IN (80, 443);
SELECT client_ip, COUNT(*) AS event_count FROM delta_scan('{path}')
WHERE direction = 'in' AND action NOT IN ('block', 'drop') AND internal_port NOT IN (80, 443)
GROUP BY client_ip ORDER BY event_count DESC LIMIT 20;
SELECT event_time, client_ip, internal_ip, internal_port, client_port,
       ROW_NUMBER() OVER (PARTITION BY internal_ip ORDER BY event_time DESC) AS row_num
FROM delta_scan('{path}') WHERE action = 'block' AND internal_port = 443;
SELECT client_ip, SUM(total_bytes) AS total_transfer FROM delta_scan('{path}')
WHERE action NOT IN ('block', 'drop') AND direction = 'out'
GROUP BY client_ip ORDER BY total_transfer DESC LIMIT 10;
