namespace Fleet.Grains.Abstractions.Messages;

/// <summary>Socket <paramref name="Socket"/> (1-based, as printed on the box) of box <paramref name="BoxId"/>.</summary>
[GenerateSerializer, Immutable, Alias("fleet.SocketRef")]
public sealed record SocketRef([property: Id(0)] string BoxId, [property: Id(1)] int Socket)
{
    public override string ToString() => $"{BoxId}:{Socket}";
}
