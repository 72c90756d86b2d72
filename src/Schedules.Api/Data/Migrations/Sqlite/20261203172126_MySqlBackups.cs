using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Schedules.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MySqlBackups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "connection_profile",
                table: "instances",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "binlog_file",
                table: "backups",
                type: "TEXT",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "binlog_offset",
                table: "backups",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "backup_verifications",
                columns: table => new
                {
                    seq = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    account_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    backup_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    chain = table.Column<string>(type: "TEXT", maxLength: 8192, nullable: true),
                    tables = table.Column<string>(type: "text", maxLength: 255, nullable: true),
                    duration_seconds = table.Column<double>(type: "REAL", nullable: true),
                    reason = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    created = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_backup_verifications", x => x.seq);
                });

            migrationBuilder.CreateIndex(
                name: "ix_backup_verifications_backup_id_seq",
                table: "backup_verifications",
                columns: new[] { "backup_id", "seq" });

            migrationBuilder.CreateIndex(
                name: "ix_backup_verifications_id",
                table: "backup_verifications",
                column: "id",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "backup_verifications");

            migrationBuilder.DropColumn(
                name: "connection_profile",
                table: "instances");

            migrationBuilder.DropColumn(
                name: "binlog_file",
                table: "backups");

            migrationBuilder.DropColumn(
                name: "binlog_offset",
                table: "backups");
        }
    }
}
