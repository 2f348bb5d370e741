namespace PluggableFlows.Sdk;

/// <summary>What one integration call produced: an outcome, a reason and the data to append under the step key.</summary>
public sealed record IntegrationResult
{
    private static readonly IReadOnlyDictionary<string, object?> Nothing = new Dictionary<string, object?>(0);

    /// <summary>Success, failure, error or skip.</summary>
    public required Outcome Outcome { get; init; }

    /// <summary>Why, in words a person reading the lead's timeline understands.</summary>
    public string? Reason { get; init; }

    /// <summary>Data appended under the step key. Values are text, numbers, booleans, lists or nested dictionaries.</summary>
    public IReadOnlyDictionary<string, object?> Appended { get; init; } = Nothing;

    /// <summary>The price a delivery recipient reported paying for the lead, when it did.</summary>
    public decimal? Price { get; init; }

    /// <summary>A success appending <paramref name="appended"/>.</summary>
    public static IntegrationResult Success(IReadOnlyDictionary<string, object?>? appended = null, decimal? price = null) =>
        new() { Outcome = Outcome.Success, Appended = appended ?? Nothing, Price = price };

    /// <summary>The provider said no.</summary>
    public static IntegrationResult Failure(string reason, IReadOnlyDictionary<string, object?>? appended = null) =>
        new() { Outcome = Outcome.Failure, Reason = reason, Appended = appended ?? Nothing };

    /// <summary>The call failed; retrying may help.</summary>
    public static IntegrationResult Error(string reason) => new() { Outcome = Outcome.Error, Reason = reason };

    /// <summary>Nothing to do for this lead.</summary>
    public static IntegrationResult Skip(string reason) => new() { Outcome = Outcome.Skip, Reason = reason };
}
