namespace BnMlNet.Samples.Experiments;

/// <summary>How big each experiment is: the quick (CI) sizes or the thorough (default) ones.</summary>
public sealed record ExperimentScale
{
    /// <summary>Training rows used (a seeded sample of the training split); null keeps them all.</summary>
    public int? TrainRows { get; init; }
    /// <summary>Epochs of each learning-rate run (experiment 1).</summary>
    public int LearningRateEpochs { get; init; }
    /// <summary>Hidden-layer counts tried (experiment 2).</summary>
    public IReadOnlyList<int> Depths { get; init; } = [];
    /// <summary>Epochs of each depth run (experiment 2).</summary>
    public int DepthEpochs { get; init; }
    /// <summary>Training steps of the saturation runs (experiment 3).</summary>
    public int SaturationSteps { get; init; }
    /// <summary>Steps between two measurements (experiment 3).</summary>
    public int SaturationEvery { get; init; }
    /// <summary>Test rows whose sigmoid inputs are recorded (experiment 3).</summary>
    public int ProbeRows { get; init; }
    /// <summary>Training rows of the regularization runs, small so that the networks overfit (experiment 4).</summary>
    public int RegularizationRows { get; init; }
    /// <summary>Epochs of each regularization run (experiment 4).</summary>
    public int RegularizationEpochs { get; init; }
    /// <summary>Batch sizes compared (experiment 4).</summary>
    public IReadOnlyList<int> RegularizationBatchSizes { get; init; } = [];
    /// <summary>Epochs of the test-time network (experiment 5).</summary>
    public int TestTimeEpochs { get; init; }
    /// <summary>Steps watched for the bias gradient (experiment 6).</summary>
    public int BiasSteps { get; init; }

    /// <summary>CI: a few thousand rows and a few epochs; about a minute on 2 cores.</summary>
    public static ExperimentScale Quick { get; } = new()
    {
        TrainRows = 3000,
        LearningRateEpochs = 2,
        Depths = [2, 4, 6, 8, 10],
        DepthEpochs = 2,
        SaturationSteps = 1000,
        SaturationEvery = 50,
        ProbeRows = 500,
        RegularizationRows = 1000,
        RegularizationEpochs = 8,
        RegularizationBatchSizes = [16, 64, 256],
        TestTimeEpochs = 3,
        BiasSteps = 50,
    };

    /// <summary>The default: the whole training split where it fits the ~15-minute budget on 2 cores.</summary>
    public static ExperimentScale Thorough { get; } = new()
    {
        TrainRows = null,
        LearningRateEpochs = 10,
        Depths = [2, 4, 6, 8, 10],
        DepthEpochs = 5,
        SaturationSteps = 50_000,
        SaturationEvery = 1000,
        ProbeRows = 1000,
        RegularizationRows = 10_000,
        RegularizationEpochs = 30,
        RegularizationBatchSizes = [16, 64, 256, 1024],
        TestTimeEpochs = 10,
        BiasSteps = 500,
    };
}
