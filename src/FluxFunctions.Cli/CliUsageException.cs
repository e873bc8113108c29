namespace FluxFunctions.Cli;

/// <summary>A usage error found after parsing (a missing file, a bad options document, no API URL): exit code 2.</summary>
public sealed class CliUsageException : Exception
{
    public CliUsageException(string message)
        : base(message)
    {
    }

    public CliUsageException()
        : this("The command line is invalid.")
    {
    }

    public CliUsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
