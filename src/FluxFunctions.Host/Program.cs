var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/api/health", () => "ok");
app.Run();

public partial class Program;
