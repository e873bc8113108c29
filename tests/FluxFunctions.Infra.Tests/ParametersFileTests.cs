using System.Text.Json;
using FluxFunctions.Testing;

namespace FluxFunctions.Infra.Tests;

/// <summary>infra/main.parameters.json fits the template: declared names, valid values, no secrets.</summary>
[Collection(BicepCollection.Name)]
public sealed class ParametersFileTests(CompiledTemplate template)
{
    private static readonly Lazy<JsonElement> File = new(() =>
    {
        using var doc = JsonDocument.Parse(System.IO.File.ReadAllText(Path.Combine(RepoPaths.Root, "infra", "main.parameters.json")));
        return doc.RootElement.GetProperty("parameters").Clone();
    });

    [Fact]
    public void ParametersFile_NamesOnlyDeclaredNonSecretParameters()
    {
        var declared = template.Json.GetProperty("parameters");

        Assert.All(File.Value.EnumerateObject(), p =>
        {
            Assert.True(declared.TryGetProperty(p.Name, out var declaration), $"{p.Name} is not a parameter of main.bicep");
            Assert.NotEqual("securestring", declaration.GetProperty("type").GetString());
        });
    }

    [Fact]
    public void ParametersFile_Values_SatisfyTheDeclaredConstraints()
    {
        var declared = template.Json.GetProperty("parameters");

        Assert.All(File.Value.EnumerateObject(), p =>
        {
            var declaration = declared.GetProperty(p.Name);
            var value = p.Value.GetProperty("value");
            if (declaration.TryGetProperty("allowedValues", out var allowed))
            {
                Assert.Contains(allowed.EnumerateArray(), a => a.GetRawText() == value.GetRawText());
            }

            if (value.ValueKind == JsonValueKind.Number)
            {
                Assert.InRange(value.GetInt64(), Limit(declaration, "minValue", long.MinValue), Limit(declaration, "maxValue", long.MaxValue));
            }

            if (value.ValueKind == JsonValueKind.String)
            {
                Assert.InRange(value.GetString()!.Length, Limit(declaration, "minLength", 0), Limit(declaration, "maxLength", int.MaxValue));
            }
        });
    }

    [Fact]
    public void ParametersFile_FirstDeployment_LeavesTheEventSubscriptionForAfterPublishing()
    {
        var main = template.MainWithParametersFile();

        Assert.Equal(false, main.Evaluate(main.ModuleDeployment("blob-subscription").GetProperty("condition")));
        Assert.Equal("flux-inputs", Deployed.Setting(main, "Flux__InputContainer"));
        Assert.Equal("true", Deployed.Setting(main, "AzureWebJobs.BlobDrop.Disabled"));
    }

    private static long Limit(JsonElement declaration, string name, long otherwise) =>
        declaration.TryGetProperty(name, out var limit) ? limit.GetInt64() : otherwise;
}
