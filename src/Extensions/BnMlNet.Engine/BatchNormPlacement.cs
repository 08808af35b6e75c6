namespace BnMlNet;

/// <summary>Where batch normalization sits in each hidden block.</summary>
public enum BatchNormPlacement
{
    /// <summary>Dense (no bias) → BatchNorm → activation: the placement of Ioffe &amp; Szegedy (2015). The default.</summary>
    BeforeActivation = 0,
    /// <summary>Dense (with bias) → activation → BatchNorm. For ablations.</summary>
    AfterActivation = 1,
    /// <summary>Dense (with bias) → activation, no batch normalization. For ablations.</summary>
    None = 2,
}
