namespace FluxFunctions.Core;

/// <summary>
/// The source-generated log messages of FluxFunctions.Core (event ids 1000–1999). Each area declares its messages in
/// its own file as a part of this class, in its own range: Runware client 1100–1199 (its own Log class in FluxFunctions.Runware, Log.Runware.cs).
/// </summary>
internal static partial class Log;
