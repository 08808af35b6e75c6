using System.Diagnostics;
using BnMlNet.Engine.Losses;
using BnMlNet.Engine.Network;
using BnMlNet.Engine.Training;

namespace BnMlNet.Engine;

// Driving the run: one optimizer step on the next mini-batch, the rest of an epoch, and the epoch's bookkeeping.
public sealed partial class TrainingSession
{
    /// <summary>
    /// One optimizer step on the next mini-batch (train-mode batch norm, running statistics updated). Starts a new
    /// epoch when the current one has no batch left. Returns the batch's (weighted) mean training loss, or NaN when the
    /// batch had fewer than 2 rows and was skipped.
    /// </summary>
    /// <exception cref="TrainingDivergedException">The loss or a parameter became NaN or infinite.</exception>
    public double Step(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_stager.IsActive) BeginEpoch();
        if (!_stager.TryNext(out var batch))
        {
            FinishEpochCounters();
            BeginEpoch();
            if (!_stager.TryNext(out batch)) throw new InvalidOperationException("The training data yields no batch.");
        }
        return TrainOn(batch);
    }

    /// <summary>
    /// Runs the rest of the current epoch (a whole epoch when none is in progress), then evaluates on
    /// <paramref name="validation"/> in inference mode when given.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled between batches.</exception>
    /// <exception cref="TrainingDivergedException">The loss or a parameter became NaN or infinite.</exception>
    public EpochReport RunEpoch(IMiniBatchSource? validation = null, CancellationToken cancellationToken = default)
    {
        if (validation is not null && validation.FeatureCount != Spec.InputSize)
            throw new ArgumentException($"The validation data has {validation.FeatureCount} features, the network takes {Spec.InputSize}.", nameof(validation));
        var clock = Stopwatch.StartNew();
        cancellationToken.ThrowIfCancellationRequested();
        if (!_stager.IsActive) BeginEpoch();
        while (_stager.TryNext(out var batch))
        {
            cancellationToken.ThrowIfCancellationRequested();
            TrainOn(batch);
        }
        double trainLoss = _epochWeightSum > 0 ? _epochLossSum / _epochWeightSum : double.NaN;
        int epoch = CompletedEpochs + 1;
        if (!_network.IsFinite()) throw new TrainingDivergedException(epoch, Math.Max(1, _batchInEpoch), (float)CurrentLearningRate);
        FinishEpochCounters();
        double? vLoss = null, vMetric = null;
        if (validation is not null)
        {
            var (l, m) = Evaluation.Evaluate(_network, Loss, validation, _settings.BatchSize, cancellationToken);
            vLoss = l;
            vMetric = m;
        }
        return new EpochReport(epoch, trainLoss, vLoss, vMetric, LossFunction.MetricName(Loss), clock.Elapsed.TotalSeconds, CurrentLearningRate);
    }

    private void BeginEpoch()
    {
        if (_train is DenseDataset dense)
            _stager.Begin(dense.GetBatches(_settings.BatchSize, _shuffle, _settings.Threads), adopt: true);   // no second copy
        else
            _stager.Begin(_train.GetBatches(_settings.BatchSize, _shuffle));
        _batchInEpoch = 0;
        _epochLossSum = 0;
        _epochWeightSum = 0;
        _epochsBegun++;
        _rateScale = RateScaleFor(_epochsBegun);
    }

    private void FinishEpochCounters() => CompletedEpochs++;

    private double TrainOn(StagedBatch batch)
    {
        _batchInEpoch++;
        int rows = batch.Rows;
        if (rows < 2) return double.NaN;
        int k = _network.Spec.OutputSize;   // k·C for an ensemble
        float lr = _scheduler.RateAt(StepCount);
        if (_rateScale != 1.0) lr = (float)(lr * _rateScale);
        var outputs = _network.Forward(batch.FeatureSpan, rows, ForwardMode.Train);
        if (_dOutputs.Length < rows * k) _dOutputs = new float[rows * k];
        double loss, weightSum;
        if (_ensembleLoss is null && Loss == LossKind.SoftmaxCrossEntropy)
        {
            // Loss and gradient in one pass over row blocks (the same bits on any thread count).
            loss = Losses.SoftmaxWork.ForwardBackward(_dOutputs.AsSpan(0, rows * k), outputs, batch.LabelSpan, batch.WeightSpan, rows, k,
                out weightSum, _settings.LabelSmoothing, _settings.Threads);
            if (!double.IsFinite(loss)) throw new TrainingDivergedException(CompletedEpochs + 1, _batchInEpoch, lr);
        }
        else if (_ensembleLoss is null)
        {
            loss = LossFunction.Forward(Loss, outputs, batch.LabelSpan, batch.WeightSpan, rows, k, out weightSum, _settings.LabelSmoothing);
            if (!double.IsFinite(loss)) throw new TrainingDivergedException(CompletedEpochs + 1, _batchInEpoch, lr);
            LossFunction.Backward(Loss, _dOutputs, outputs, batch.LabelSpan, batch.WeightSpan, rows, k, _settings.LabelSmoothing);
        }
        else
        {
            loss = _ensembleLoss.ForwardBackward(outputs, batch.LabelSpan, batch.WeightSpan, rows, _dOutputs.AsSpan(0, rows * k), out weightSum);
            if (!double.IsFinite(loss)) throw new TrainingDivergedException(CompletedEpochs + 1, _batchInEpoch, lr);
        }
        _network.Backward(batch.FeatureSpan, _dOutputs.AsSpan(0, rows * k));
        var p = _network.Parameters;
        if (_settings.GradientClipNorm > 0) Optimizers.GradientClipping.ClipByGlobalNorm(p.Gradients, _settings.GradientClipNorm);
        var gradients = Optimizers.GammaDecay.Apply(p, _gammas, _settings.BatchNormGammaWeightDecay, _settings.Optimizer == OptimizerKind.AdamW, lr, ref _decayedGradients);
        _optimizer.Step(p.Values, gradients, p.DecayedCount, lr);
        // The optimizer has just checked every parameter it wrote; what is left are the running statistics.
        if (!_optimizer.LastStepFinite || !_network.RunningStatisticsFinite()) throw new TrainingDivergedException(CompletedEpochs + 1, _batchInEpoch, lr);
        StepCount++;
        CurrentLearningRate = lr;
        _epochLossSum += loss * weightSum;
        _epochWeightSum += weightSum;
        return loss;
    }
}
