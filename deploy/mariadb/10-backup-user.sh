#!/bin/bash
# Run once by the MariaDB image when its data folder is new: the account Schedules backs the instance up with,
# with the privileges a consistent dump and reading the binary log need, and no more.
set -euo pipefail
docker_process_sql <<-SQL
	CREATE USER IF NOT EXISTS 'schedules_backup'@'%' IDENTIFIED BY '${SCHEDULES_BACKUP_PASSWORD}';
	GRANT SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES, RELOAD, PROCESS, BINLOG MONITOR, REPLICATION SLAVE
	  ON *.* TO 'schedules_backup'@'%';
SQL
