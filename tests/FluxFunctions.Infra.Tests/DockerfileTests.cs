using System.Text.RegularExpressions;
using System.Xml.Linq;
using FluxFunctions.Testing;

namespace FluxFunctions.Infra.Tests;

/// <summary>
/// Docker cannot run here, so the Dockerfiles are checked against the repository they build: every copied path exists,
/// the published project and entry assembly match, the images use the repository's .NET version and run as non-root.
/// </summary>
public sealed partial class DockerfileTests
{
    [Theory]
    [InlineData("FluxFunctions.Runner")]
    [InlineData("FluxFunctions.Emulator")]
    public void Dockerfile_BuildsFromTheRepositoryRoot_WithExistingPaths(string project)
    {
        var copies = Instructions(project, "COPY").Where(c => !c.StartsWith("--from", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(copies);
        Assert.All(copies.SelectMany(c => c.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipLast(1)), source =>
            Assert.True(Path.Exists(Path.Combine(RepoPaths.Root, source)), $"COPY source {source} does not exist in the repository"));
    }

    [Theory]
    [InlineData("FluxFunctions.Runner")]
    [InlineData("FluxFunctions.Emulator")]
    public void Dockerfile_IsMultiStage_OnTheRepositoryDotnetVersion(string project)
    {
        var targetFramework = XDocument.Load(Path.Combine(RepoPaths.Root, "Directory.Build.props")).Descendants("TargetFramework").Single().Value;
        var version = targetFramework.Replace("net", string.Empty, StringComparison.Ordinal);

        var from = Instructions(project, "FROM");

        Assert.Equal($"mcr.microsoft.com/dotnet/sdk:{version} AS build", from[0]);
        Assert.Equal($"mcr.microsoft.com/dotnet/aspnet:{version} AS runtime", from[^1]);
    }

    [Theory]
    [InlineData("FluxFunctions.Runner")]
    [InlineData("FluxFunctions.Emulator")]
    public void Dockerfile_PublishesItsProject_AndStartsItsAssembly(string project)
    {
        var csproj = $"src/{project}/{project}.csproj";
        var assemblyName = XDocument.Load(Path.Combine(RepoPaths.Root, csproj)).Descendants("AssemblyName").SingleOrDefault()?.Value ?? project;

        Assert.Contains(Instructions(project, "RUN"), r => r.StartsWith($"dotnet publish {csproj} ", StringComparison.Ordinal));
        Assert.Equal($"[\"dotnet\", \"{assemblyName}.dll\"]", Assert.Single(Instructions(project, "ENTRYPOINT")));
    }

    [Theory]
    [InlineData("FluxFunctions.Runner")]
    [InlineData("FluxFunctions.Emulator")]
    public void Dockerfile_RunsAsNonRoot(string project)
    {
        var user = Instructions(project, "USER").Last();

        Assert.DoesNotMatch(RootUser(), user);
    }

    [Theory]
    [InlineData("FluxFunctions.Runner")]
    [InlineData("FluxFunctions.Emulator")]
    public void Dockerignore_KeepsBuildOutputsOutOfTheContext(string project)
    {
        var ignore = File.ReadAllLines(Path.Combine(RepoPaths.Root, "src", project, "Dockerfile.dockerignore"));

        Assert.Contains("**/bin/", ignore);
        Assert.Contains("**/obj/", ignore);
    }

    [Fact]
    public void HostImage_ShipsHostJson()
    {
        var hostJson = XDocument.Load(Path.Combine(RepoPaths.Root, "src", "FluxFunctions.Runner", "FluxFunctions.Runner.csproj"))
            .Descendants("None").Single(n => ((string?)n.Attribute("Include"))?.EndsWith("host.json", StringComparison.Ordinal) == true);

        Assert.Contains(Instructions("FluxFunctions.Runner", "COPY"), c => c.Split(' ').Contains("host.json"));
        Assert.Equal("PreserveNewest", (string?)hostJson.Attribute("CopyToPublishDirectory"));
        Assert.Contains("test -f /app/host.json", Instructions("FluxFunctions.Runner", "RUN"));
    }

    /// <summary>The arguments of every instruction of a kind, continuation lines joined.</summary>
    private static List<string> Instructions(string project, string keyword)
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "src", project, "Dockerfile"));
        var lines = text.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n');
        return lines
            .Where(l => l.StartsWith(keyword + " ", StringComparison.Ordinal))
            .Select(l => Spaces().Replace(l[(keyword.Length + 1)..], " ").Trim())
            .ToList();
    }

    [GeneratedRegex(@"^(root|0)(:.*)?$")]
    private static partial Regex RootUser();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
