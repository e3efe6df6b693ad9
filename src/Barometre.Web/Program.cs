using Barometre.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddBarometreWeb();
var app = builder.Build();
await app.UseBarometreWebAsync();
await app.RunAsync();
