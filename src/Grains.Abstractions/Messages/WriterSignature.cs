namespace Fleet.Grains.Abstractions.Messages;

/// <summary>
/// A writer's proof of who it is: its certificate (DER, issued by the lab's authority) and its
/// ECDSA signature over <see cref="Security.WriterDigest"/>. Agents sign every batch and health
/// report; silos sign what they store for the HTTP API's imports. A client cannot forge it
/// without the certificate's private key.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.WriterSignature")]
public sealed record WriterSignature(
    [property: Id(0)] byte[] Certificate,
    [property: Id(1)] byte[] Signature);
