namespace Schedules.Backups;

public enum BackupKind
{
    Full,
    Incremental,
}
