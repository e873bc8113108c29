using System.Collections.Immutable;
using Microsoft.Azure.Functions.Worker;

namespace FluxFunctions.Functions.Tests.Triggers;

/// <summary>The <see cref="FunctionContext"/> the Functions host would pass, with the binding data of an activity trigger.</summary>
internal sealed class TestFunctionContext(IServiceProvider services, string functionName, IReadOnlyDictionary<string, object?> bindingData) : FunctionContext
{
    public override string InvocationId { get; } = Guid.NewGuid().ToString();

    public override string FunctionId { get; } = functionName;

    public override TraceContext TraceContext { get; } = null!;

    public override BindingContext BindingContext { get; } = new TestBindingContext(bindingData);

    public override RetryContext RetryContext { get; } = null!;

    public override IServiceProvider InstanceServices { get; set; } = services;

    public override FunctionDefinition FunctionDefinition { get; } = null!;

    public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();

    public override Microsoft.Azure.Functions.Worker.IInvocationFeatures Features { get; } = null!;

    private sealed class TestBindingContext(IReadOnlyDictionary<string, object?> data) : BindingContext
    {
        public override IReadOnlyDictionary<string, object?> BindingData { get; } = data.ToImmutableDictionary();
    }
}
