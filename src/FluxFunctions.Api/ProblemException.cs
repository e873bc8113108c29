using Microsoft.AspNetCore.Http;

namespace FluxFunctions.Api;

/// <summary>Ends a handler with a ready problem answer (413, 415, …); <see cref="ApiGuard"/> returns it.</summary>
public sealed class ProblemException : Exception
{
    public ProblemException(IResult problem)
        : base("The request was answered with a problem.")
    {
        ArgumentNullException.ThrowIfNull(problem);
        Problem = problem;
    }

    public ProblemException()
        : this(ApiProblems.Internal())
    {
    }

    public ProblemException(string message)
        : base(message)
    {
        Problem = ApiProblems.Internal();
    }

    public ProblemException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problem = ApiProblems.Internal();
    }

    public IResult Problem { get; }
}
