using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Schedules.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "instances",
                columns: table => new
                {
                    seq = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    account_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    flavor_ref = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    volume_size = table.Column<int>(type: "INTEGER", nullable: false),
                    datastore_type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    datastore_version = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    created = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_instances", x => x.seq);
                    table.UniqueConstraint("ak_instances_account_id_id", x => new { x.account_id, x.id });
                    table.UniqueConstraint("ak_instances_id", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "tokens",
                columns: table => new
                {
                    hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    user_id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    user_name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    project_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    issued_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    expires_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tokens", x => x.hash);
                });

            migrationBuilder.CreateTable(
                name: "schedules",
                columns: table => new
                {
                    seq = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    account_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    instance_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    action = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    day_of_week = table.Column<int>(type: "INTEGER", nullable: false),
                    hour = table.Column<int>(type: "INTEGER", nullable: false),
                    minute = table.Column<int>(type: "INTEGER", nullable: false),
                    full_backup_retention = table.Column<int>(type: "INTEGER", nullable: false),
                    copy_to = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    created = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated = table.Column<DateTime>(type: "TEXT", nullable: false),
                    last_scheduled = table.Column<DateTime>(type: "TEXT", nullable: true),
                    next_run = table.Column<DateTime>(type: "TEXT", nullable: false),
                    running = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_schedules", x => x.seq);
                    table.UniqueConstraint("ak_schedules_id", x => x.id);
                    table.CheckConstraint("ck_schedules_day_of_week", "day_of_week BETWEEN 0 AND 7");
                    table.CheckConstraint("ck_schedules_full_backup_retention", "full_backup_retention >= 2");
                    table.CheckConstraint("ck_schedules_hour", "hour BETWEEN 0 AND 23");
                    table.CheckConstraint("ck_schedules_minute", "minute BETWEEN 0 AND 59");
                    table.ForeignKey(
                        name: "fk_schedules_instances_account_id_instance_id",
                        columns: x => new { x.account_id, x.instance_id },
                        principalTable: "instances",
                        principalColumns: new[] { "account_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_schedules_account_id_instance_id",
                table: "schedules",
                columns: new[] { "account_id", "instance_id" });

            migrationBuilder.CreateIndex(
                name: "ix_schedules_account_id_seq",
                table: "schedules",
                columns: new[] { "account_id", "seq" });

            migrationBuilder.CreateIndex(
                name: "ix_schedules_instance_id",
                table: "schedules",
                column: "instance_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_tokens_expires_at",
                table: "tokens",
                column: "expires_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "schedules");

            migrationBuilder.DropTable(
                name: "tokens");

            migrationBuilder.DropTable(
                name: "instances");
        }
    }
}
