using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;

namespace FluxFunctions.Functions.Tests.HostProtocol;

/// <summary>
/// The app's <c>extensions.json</c> as the host reads it (WebJobs startup extensions it loads into itself): each entry's
/// <c>typeName</c> (an assembly-qualified type) must be found in the assembly at <c>hintPath</c>, relative to the folder
/// of extensions.json. Read from the assemblies' metadata, without loading them.
/// </summary>
public sealed record ExtensionsManifest(string Directory, IReadOnlyList<ExtensionsManifest.Entry> Extensions)
{
    public static ExtensionsManifest Read(string appDirectory)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(appDirectory, "extensions.json")));
        var entries = doc.RootElement.GetProperty("extensions").EnumerateArray()
            .Select(e => new Entry(
                e.GetProperty("name").GetString() ?? "",
                e.GetProperty("typeName").GetString() ?? "",
                e.TryGetProperty("hintPath", out var hint) ? hint.GetString() : null))
            .ToList();
        return new ExtensionsManifest(appDirectory, entries);
    }

    /// <summary>Why the host could not load <paramref name="entry"/>'s startup type, or null when it could.</summary>
    public string? Problem(Entry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var parts = entry.TypeName.Split(',', 3, StringSplitOptions.TrimEntries);
        if (parts.Length < 2)
        {
            return $"{entry.Name}: typeName '{entry.TypeName}' is not assembly-qualified";
        }

        var path = Path.GetFullPath(Path.Combine(Directory, entry.HintPath ?? parts[1] + ".dll"));
        if (!File.Exists(path))
        {
            return $"{entry.Name}: no assembly at {path}";
        }

        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var assembly = reader.GetAssemblyDefinition();
        var assemblyName = reader.GetString(assembly.Name);
        if (assemblyName != parts[1])
        {
            return $"{entry.Name}: {path} is assembly {assemblyName}, not {parts[1]}";
        }

        var declaredVersion = parts.Length > 2 ? parts[2].Split(',').Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("Version=", StringComparison.Ordinal)) : null;
        if (declaredVersion is not null && declaredVersion != $"Version={assembly.Version}")
        {
            return $"{entry.Name}: {path} is version {assembly.Version}, extensions.json says {declaredVersion}";
        }

        var found = reader.TypeDefinitions
            .Select(reader.GetTypeDefinition)
            .Any(t => $"{reader.GetString(t.Namespace)}.{reader.GetString(t.Name)}" == parts[0]);
        return found ? null : $"{entry.Name}: {assemblyName} has no type {parts[0]}";
    }

    public sealed record Entry(string Name, string TypeName, string? HintPath);
}
