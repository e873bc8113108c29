using FluxFunctions.Testing;

namespace FluxFunctions.Infra.Tests;

/// <summary><c>bicep build</c> and <c>bicep lint</c> of infra/main.bicep (and its modules) report nothing: warnings fail.</summary>
[Collection(BicepCollection.Name)]
public sealed class BicepCliTests(CompiledTemplate template)
{
    [Fact]
    public void Build_MainTemplate_CompilesWithoutDiagnostics()
    {
        Assert.True(template.Build.ExitCode == 0, template.Build.Transcript);
        Assert.True(string.IsNullOrWhiteSpace(template.Build.StandardError), template.Build.Transcript);
        Assert.Equal("bicep", template.Json.GetProperty("metadata").GetProperty("_generator").GetProperty("name").GetString());
    }

    [Fact]
    public void Lint_MainTemplateAndModules_ReportNoWarningsOrErrors()
    {
        Assert.True(template.Lint.ExitCode == 0, template.Lint.Transcript);
        Assert.True(string.IsNullOrWhiteSpace(template.Lint.StandardError + template.Lint.StandardOutput), template.Lint.Transcript);
    }

    [Fact]
    public void Build_PinnedCli_IsTheOneThatCompiled()
    {
        var version = template.Json.GetProperty("metadata").GetProperty("_generator").GetProperty("version").GetString();

        Assert.StartsWith("0.49.2.", version, StringComparison.Ordinal);
    }

    /// <summary>The control for the two tests above: a linter warning does reach the output they inspect.</summary>
    [Fact]
    public async Task Lint_ModuleWithUnusedParameter_ReportsWarning()
    {
        var folder = Directory.CreateTempSubdirectory("fluxfunctions-bicep-");
        try
        {
            var file = Path.Combine(folder.FullName, "unused.bicep");
            await File.WriteAllTextAsync(file, "param unusedName string = 'x'\n");

            var run = await BicepCli.RunAsync("lint", file);

            Assert.Contains("no-unused-params", run.StandardError + run.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Main_DeploysEveryModuleFile()
    {
        var modules = Directory.GetFiles(Path.Combine(RepoPaths.Root, "infra", "modules"), "*.bicep").Select(Path.GetFileName).Order().ToArray();
        var referenced = template.Json.GetProperty("resources").EnumerateArray()
            .Count(r => r.GetProperty("type").GetString() == "Microsoft.Resources/deployments");

        Assert.Equal(modules.Length, referenced);
    }
}
