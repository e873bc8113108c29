using System.Text.Json;

namespace FluxFunctions.Infra.Tests;

/// <summary>Shortcuts into the compiled template: modules, resources and the Function App's app settings.</summary>
internal static class Deployed
{
    /// <summary>A resource's <c>properties</c>, evaluated.</summary>
    public static IReadOnlyDictionary<string, object?> Properties(ArmScope scope, JsonElement resource) =>
        (IReadOnlyDictionary<string, object?>)scope.Evaluate(resource.GetProperty("properties"))!;

    /// <summary>The app settings the deployment writes (the sites/config 'appsettings' resource), evaluated.</summary>
    public static IReadOnlyDictionary<string, object?> AppSettings(ArmScope main)
    {
        var app = main.Module("functionapp");
        var config = Assert.Single(
            app.ResourcesOfType("Microsoft.Web/sites/config"),
            r => ((string)app.Evaluate(r.GetProperty("name"))!).EndsWith("/appsettings", StringComparison.Ordinal));
        return Properties(app, config);
    }

    /// <summary>An app setting that must be a string.</summary>
    public static string Setting(ArmScope main, string name)
    {
        var settings = AppSettings(main);
        Assert.True(settings.ContainsKey(name), $"app setting {name} is missing; present: {string.Join(", ", settings.Keys)}");
        return Assert.IsType<string>(settings[name]);
    }

    /// <summary>A property path inside an evaluated object.</summary>
    public static object? At(object? value, params string[] path)
    {
        foreach (var name in path)
        {
            var map = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(value);
            Assert.True(map.ContainsKey(name), $"'{name}' missing; present: {string.Join(", ", map.Keys)}");
            value = map[name];
        }

        return value;
    }

    /// <summary>The principal of the app's user-assigned identity, as role assignments refer to it.</summary>
    public static object? AppPrincipalId(ArmScope main) => main.Module("identity").Output("principalId");

    /// <summary>The role definition IDs (GUIDs) assigned to a principal in a module.</summary>
    public static IReadOnlyList<string> RolesOf(ArmScope module, object? principalId) =>
        module.ResourcesOfType("Microsoft.Authorization/roleAssignments")
            .Select(r => Properties(module, r))
            .Where(p => Equals(p["principalId"], principalId))
            .Select(p => ArmText.Of(p["roleDefinitionId"]))
            .Select(id => id[(id.LastIndexOf('/') + 1)..].Trim('\'', ')', '>'))
            .ToList();
}
