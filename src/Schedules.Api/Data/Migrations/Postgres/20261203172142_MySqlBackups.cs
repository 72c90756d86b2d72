using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Schedules.Data.Migrations.Postgres
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
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "binlog_file",
                table: "backups",
                type: "character varying(255)",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "binlog_offset",
                table: "backups",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "backup_verifications",
                columns: table => new
                {
                    seq = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    account_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    backup_id = table.Column<Guid>(type: "uuid", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    chain = table.Column<string>(type: "character varying(8192)", maxLength: 8192, nullable: true),
                    tables = table.Column<string>(type: "text", maxLength: 255, nullable: true),
                    duration_seconds = table.Column<double>(type: "double precision", nullable: true),
                    reason = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    created = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
