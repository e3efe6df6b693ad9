using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Barometre.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OrganiserContact : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ContactEmail",
                table: "Campaigns",
                type: "TEXT",
                maxLength: 320,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ContactName",
                table: "Campaigns",
                type: "TEXT",
                maxLength: 200,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ContactEmail",
                table: "Campaigns");

            migrationBuilder.DropColumn(
                name: "ContactName",
                table: "Campaigns");
        }
    }
}
