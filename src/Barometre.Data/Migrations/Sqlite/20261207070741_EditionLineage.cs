using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Barometre.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class EditionLineage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "PreviousCampaignId",
                table: "Campaigns",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Campaigns_PreviousCampaignId",
                table: "Campaigns",
                column: "PreviousCampaignId");

            migrationBuilder.AddForeignKey(
                name: "FK_Campaigns_Campaigns_PreviousCampaignId",
                table: "Campaigns",
                column: "PreviousCampaignId",
                principalTable: "Campaigns",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Campaigns_Campaigns_PreviousCampaignId",
                table: "Campaigns");

            migrationBuilder.DropIndex(
                name: "IX_Campaigns_PreviousCampaignId",
                table: "Campaigns");

            migrationBuilder.DropColumn(
                name: "PreviousCampaignId",
                table: "Campaigns");
        }
    }
}
