namespace FluxFunctions.Testing;

/// <summary>Locations inside the repository, found from the test binaries upwards.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootLazy = new(FindRoot);

    /// <summary>The repository root (the folder holding FluxFunctions.sln).</summary>
    public static string Root => RootLazy.Value;

    /// <summary>The Azurite launcher installed by <c>scripts/install-tools.sh</c> into scripts/node_modules.</summary>
    public static string Azurite => Path.Combine(Root, "scripts", "node_modules", ".bin", "azurite");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FluxFunctions.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (FluxFunctions.sln) above " + AppContext.BaseDirectory);
    }
}
