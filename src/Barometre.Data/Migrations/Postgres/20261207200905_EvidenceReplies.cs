using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Barometre.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class EvidenceReplies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "EvidenceQuestionedAt",
                table: "Answers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "EvidenceRepliedAt",
                table: "Answers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EvidenceReply",
                table: "Answers",
                type: "character varying(4000)",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "EvidenceReviewedAt",
                table: "Answers",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "EvidenceQuestionedAt",
                table: "Answers");

            migrationBuilder.DropColumn(
                name: "EvidenceRepliedAt",
                table: "Answers");

            migrationBuilder.DropColumn(
                name: "EvidenceReply",
                table: "Answers");

            migrationBuilder.DropColumn(
                name: "EvidenceReviewedAt",
                table: "Answers");
        }
    }
}
