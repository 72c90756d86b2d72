using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Schedules.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class BackupsAndRuns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "blocked_slot",
                table: "schedules",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "backups",
                columns: table => new
                {
                    seq = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    account_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    instance_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    description = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    parent_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    is_automated = table.Column<bool>(type: "INTEGER", nullable: false),
                    schedule_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    datastore_type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    datastore_version = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    flavor_ram = table.Column<int>(type: "INTEGER", nullable: true),
                    volume_size = table.Column<int>(type: "INTEGER", nullable: false),
                    location_ref = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    size_bytes = table.Column<long>(type: "INTEGER", nullable: true),
                    checksum = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    reason = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    lease_owner = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    lease_expires = table.Column<DateTime>(type: "TEXT", nullable: true),
                    created = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_backups", x => x.seq);
                    table.CheckConstraint("ck_backups_status", "status IN ('NEW', 'BUILDING', 'COMPLETED', 'FAILED', 'DELETE_FAILED')");
                });

            migrationBuilder.CreateTable(
                name: "instance_databases",
                columns: table => new
                {
                    seq = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    instance_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    character_set = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    collate = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_instance_databases", x => x.seq);
                    table.ForeignKey(
                        name: "fk_instance_databases_instances_instance_id",
                        column: x => x.instance_id,
                        principalTable: "instances",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "instance_users",
                columns: table => new
                {
                    seq = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    instance_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    host = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    databases = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_instance_users", x => x.seq);
                    table.ForeignKey(
                        name: "fk_instance_users_instances_instance_id",
                        column: x => x.instance_id,
                        principalTable: "instances",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "schedule_runs",
                columns: table => new
                {
                    seq = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    schedule_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    account_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    slot_time = table.Column<DateTime>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    outcome = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    backup_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    reason = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    created = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_schedule_runs", x => x.seq);
                    table.ForeignKey(
                        name: "fk_schedule_runs_schedules_schedule_id",
                        column: x => x.schedule_id,
                        principalTable: "schedules",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_backups_account_id_seq",
                table: "backups",
                columns: new[] { "account_id", "seq" });

            migrationBuilder.CreateIndex(
                name: "ix_backups_id",
                table: "backups",
                column: "id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_backups_instance_id_seq",
                table: "backups",
                columns: new[] { "instance_id", "seq" });

            migrationBuilder.CreateIndex(
                name: "ix_backups_lease_expires",
                table: "backups",
                column: "lease_expires",
                filter: "status IN ('NEW', 'BUILDING')");

            migrationBuilder.CreateIndex(
                name: "ix_backups_parent_id",
                table: "backups",
                column: "parent_id");

            migrationBuilder.CreateIndex(
                name: "ix_backups_schedule_id_seq",
                table: "backups",
                columns: new[] { "schedule_id", "seq" });

            migrationBuilder.CreateIndex(
                name: "ux_backups_one_running_per_instance",
                table: "backups",
                column: "instance_id",
                unique: true,
                filter: "status IN ('NEW', 'BUILDING')");

            migrationBuilder.CreateIndex(
                name: "ix_instance_databases_instance_id_name",
                table: "instance_databases",
                columns: new[] { "instance_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_instance_users_instance_id_name_host",
                table: "instance_users",
                columns: new[] { "instance_id", "name", "host" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_schedule_runs_id",
                table: "schedule_runs",
                column: "id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_schedule_runs_schedule_id_seq",
                table: "schedule_runs",
                columns: new[] { "schedule_id", "seq" });

            migrationBuilder.CreateIndex(
                name: "ix_schedule_runs_schedule_id_slot_time",
                table: "schedule_runs",
                columns: new[] { "schedule_id", "slot_time" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "backups");

            migrationBuilder.DropTable(
                name: "instance_databases");

            migrationBuilder.DropTable(
                name: "instance_users");

            migrationBuilder.DropTable(
                name: "schedule_runs");

            migrationBuilder.DropColumn(
                name: "blocked_slot",
                table: "schedules");
        }
    }
}
