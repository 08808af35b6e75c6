using BnMlNet.Engine.Losses;

namespace BnMlNet.Engine.Ensembles;

/// <summary>
/// The training loss of an ensemble: each member's own loss on its C outputs, summed, so each member gets exactly the
/// gradient it would get alone. The value reported is the members' mean loss (comparable with one network's).
/// </summary>
internal sealed class EnsembleLoss(LossKind loss, int members, int outputs, float smoothing = 0)
{
    private float[] _member = [], _dMember = [];

    /// <summary>Forward and backward in one go; writes d(sum of member losses)/d(outputs) into <paramref name="dOutputs"/>.</summary>
    public double ForwardBackward(ReadOnlySpan<float> wide, ReadOnlySpan<float> labels, ReadOnlySpan<float> weights, int rows,
        Span<float> dOutputs, out double weightSum)
    {
        int width = members * outputs;
        if (_member.Length < rows * outputs) { _member = new float[rows * outputs]; _dMember = new float[rows * outputs]; }
        var x = _member.AsSpan(0, rows * outputs);
        var dx = _dMember.AsSpan(0, rows * outputs);
        double total = 0;
        weightSum = 0;
        for (int m = 0; m < members; m++)
        {
            for (int r = 0; r < rows; r++) wide.Slice(r * width + m * outputs, outputs).CopyTo(x.Slice(r * outputs, outputs));
            double l = LossFunction.Forward(loss, x, labels, weights, rows, outputs, out weightSum, smoothing);
            if (!double.IsFinite(l)) return l;
            total += l;
            LossFunction.Backward(loss, dx, x, labels, weights, rows, outputs, smoothing);
            for (int r = 0; r < rows; r++) dx.Slice(r * outputs, outputs).CopyTo(dOutputs.Slice(r * width + m * outputs, outputs));
        }
        return total / members;
    }
}
