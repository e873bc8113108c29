var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/emulator/health", () => "ok");
app.Run();

public partial class Program;
