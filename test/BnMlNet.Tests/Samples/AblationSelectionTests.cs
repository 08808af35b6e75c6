using BnMlNet.Samples.Bench.Tabular;
using BnMlNet.Samples.Cli;

namespace BnMlNet.Tests.Samples;

/// <summary><c>bench tabular --ablations NAMES</c>: the named ablations only, in the order given; an unknown name is an error listing the names.</summary>
[TestClass]
public sealed class AblationSelectionTests
{
    [TestMethod]
    public void NamesSelectThoseAblationsAndAnUnknownNameIsAnError()
    {
        Assert.IsEmpty(Ablations.Select(ablate: false, names: null));
        Assert.HasCount(Ablations.All.Count, Ablations.Select(ablate: true, names: null));
        var chosen = Ablations.Select(ablate: false, names: "+ periodic embedding, no dropout");
        CollectionAssert.AreEqual(new[] { "+ periodic embedding", "no dropout" }, chosen.Select(a => a.Name).ToArray());
        var options = new BatchNormMlpBinaryTrainer.Options();
        chosen[0].Edit(options);
        Assert.AreEqual(NumericEmbedding.Periodic, options.NumericEmbedding, "the variant turns the embedding on (its default is off)");
        var e = Assert.ThrowsExactly<UserInputException>(() => Ablations.Select(ablate: false, names: "no such thing"));
        StringAssert.Contains(e.Message, "'no such thing'");
        StringAssert.Contains(e.Message, "no input BN");
    }

    [TestMethod]
    public void CandidatesRunOnlyWhenNamed()
    {
        var all = Ablations.Select(ablate: true, names: null).Select(a => a.Name).ToHashSet();
        Assert.IsFalse(Ablations.Candidates.Any(c => all.Contains(c.Name)), "--ablate runs the recipe's pieces only");
        var chosen = Ablations.Select(ablate: false, names: "lr 2e-3");
        var options = new BatchNormMlpBinaryTrainer.Options();
        chosen.Single().Edit(options);
        Assert.AreEqual(2e-3f, options.LearningRate);
    }

    [TestMethod]
    public void SigmaVariantsTurnTheEmbeddingOnWithTheirSigma()
    {
        var chosen = Ablations.Select(ablate: false, names: "+ periodic σ 0.3,+ periodic σ 1,+ periodic σ 3");
        var sigmas = new List<float>();
        foreach (var a in chosen)
        {
            var options = new BatchNormMlpRegressionTrainer.Options();
            Assert.AreNotEqual(0.3f, options.EmbeddingSigma, "the defaults are not what the variants set");
            a.Edit(options);
            Assert.AreEqual(NumericEmbedding.Periodic, options.NumericEmbedding, a.Name);
            sigmas.Add(options.EmbeddingSigma);
        }
        CollectionAssert.AreEqual(new[] { 0.3f, 1f, 3f }, sigmas);
    }

    [TestMethod]
    public void LabelSmoothingVariantSetsEpsilonOnTheClassifiersAndSkipsRegression()
    {
        var variant = Ablations.Select(ablate: false, names: "label smoothing 0.1").Single();
        var binary = new BatchNormMlpBinaryTrainer.Options();
        var multiclass = new BatchNormMlpMulticlassTrainer.Options();
        Assert.AreEqual(0f, binary.LabelSmoothing, "label smoothing is off by default");
        variant.Edit(binary);
        variant.Edit(multiclass);
        Assert.AreEqual(0.1f, binary.LabelSmoothing);
        Assert.AreEqual(0.1f, multiclass.LabelSmoothing);
        Assert.IsTrue(variant.AppliesTo(BnMlNet.Samples.Csv.MlTask.Binary));
        Assert.IsTrue(variant.AppliesTo(BnMlNet.Samples.Csv.MlTask.Multiclass));
        Assert.IsFalse(variant.AppliesTo(BnMlNet.Samples.Csv.MlTask.Regression), "regression has no label smoothing");
        Assert.ThrowsExactly<ArgumentException>(() => variant.Edit(new BatchNormMlpRegressionTrainer.Options()));
    }

    [TestMethod]
    public void QuantileVariantSetsQuantileScaling()
    {
        var variant = Ablations.Select(ablate: false, names: "quantile scaling").Single();
        var options = new BatchNormMlpRegressionTrainer.Options();
        Assert.AreNotEqual(NumericScaling.Quantile, options.NumericScaling, "the default is not what the variant sets");
        variant.Edit(options);
        Assert.AreEqual(NumericScaling.Quantile, options.NumericScaling);
        Assert.IsTrue(new[] { BnMlNet.Samples.Csv.MlTask.Binary, BnMlNet.Samples.Csv.MlTask.Multiclass, BnMlNet.Samples.Csv.MlTask.Regression }.All(variant.AppliesTo));
    }
}
