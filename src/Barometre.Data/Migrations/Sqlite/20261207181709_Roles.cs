using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Barometre.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Roles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ExternalIssuer",
                table: "Operators",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ExternalSubject",
                table: "Operators",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FamilyName",
                table: "Operators",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "GivenName",
                table: "Operators",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "InvitationExpiresAt",
                table: "Operators",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "InvitationHash",
                table: "Operators",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LastSignInAt",
                table: "Operators",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Role",
                table: "Operators",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1); // Administrator: accounts and keys from before roles could do everything, and keep doing it

            migrationBuilder.AddColumn<int>(
                name: "Role",
                table: "ApiKeys",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1); // Administrator: accounts and keys from before roles could do everything, and keep doing it

            migrationBuilder.CreateTable(
                name: "CampaignAssignments",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CampaignId = table.Column<int>(type: "INTEGER", nullable: false),
                    OperatorAccountId = table.Column<int>(type: "INTEGER", nullable: true),
                    ApiKeyId = table.Column<int>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CampaignAssignments", x => x.Id);
                    table.CheckConstraint("CK_CampaignAssignments_OneHolder", "(\"OperatorAccountId\" IS NULL) <> (\"ApiKeyId\" IS NULL)");
                    table.ForeignKey(
                        name: "FK_CampaignAssignments_ApiKeys_ApiKeyId",
                        column: x => x.ApiKeyId,
                        principalTable: "ApiKeys",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_CampaignAssignments_Campaigns_CampaignId",
                        column: x => x.CampaignId,
                        principalTable: "Campaigns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_CampaignAssignments_Operators_OperatorAccountId",
                        column: x => x.OperatorAccountId,
                        principalTable: "Operators",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Operators_ExternalIssuer_ExternalSubject",
                table: "Operators",
                columns: new[] { "ExternalIssuer", "ExternalSubject" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Operators_InvitationHash",
                table: "Operators",
                column: "InvitationHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CampaignAssignments_ApiKeyId_CampaignId",
                table: "CampaignAssignments",
                columns: new[] { "ApiKeyId", "CampaignId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CampaignAssignments_CampaignId",
                table: "CampaignAssignments",
                column: "CampaignId");

            migrationBuilder.CreateIndex(
                name: "IX_CampaignAssignments_OperatorAccountId_CampaignId",
                table: "CampaignAssignments",
                columns: new[] { "OperatorAccountId", "CampaignId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CampaignAssignments");

            migrationBuilder.DropIndex(
                name: "IX_Operators_ExternalIssuer_ExternalSubject",
                table: "Operators");

            migrationBuilder.DropIndex(
                name: "IX_Operators_InvitationHash",
                table: "Operators");

            migrationBuilder.DropColumn(
                name: "ExternalIssuer",
                table: "Operators");

            migrationBuilder.DropColumn(
                name: "ExternalSubject",
                table: "Operators");

            migrationBuilder.DropColumn(
                name: "FamilyName",
                table: "Operators");

            migrationBuilder.DropColumn(
                name: "GivenName",
                table: "Operators");

            migrationBuilder.DropColumn(
                name: "InvitationExpiresAt",
                table: "Operators");

            migrationBuilder.DropColumn(
                name: "InvitationHash",
                table: "Operators");

            migrationBuilder.DropColumn(
                name: "LastSignInAt",
                table: "Operators");

            migrationBuilder.DropColumn(
                name: "Role",
                table: "Operators");

            migrationBuilder.DropColumn(
                name: "Role",
                table: "ApiKeys");
        }
    }
}
