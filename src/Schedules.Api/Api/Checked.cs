namespace Schedules.Api;

/// <summary>Either a value read from a request or the fault that explains why it could not be read.</summary>
internal readonly record struct Checked<T>
{
    private Checked(T? value, Fault? fault)
    {
        Value = value;
        Fault = fault;
    }

    public T? Value { get; }

    public Fault? Fault { get; }

    public static implicit operator Checked<T>(T value) => new(value, null);

    /// <summary>For values whose type is an interface, which C# allows no implicit conversion from.</summary>
    public static Checked<T> Of(T value) => new(value, null);

    public static implicit operator Checked<T>(Fault fault) => new(default, fault);
}
