using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BnMlNet.Engine.Kernels;

namespace BnMlNet.Engine.Layers;

/// <summary>
/// Element-wise activations and their derivatives. Forward may run in place (y and x the same span).
/// Backward gets both the input x and the output y and uses whichever gives the derivative most cheaply.
/// </summary>
internal static class Activations
{
    private const double InvSqrt2 = 0.70710678118654752;
    private const double InvSqrt2Pi = 0.39894228040143268;

    /// <summary>y = f(x) for n elements.</summary>
    public static void Forward(Span<float> y, ReadOnlySpan<float> x, Activation activation, float leakySlope)
    {
        int n = x.Length;
        switch (activation)
        {
            case Activation.Identity:
                if (!y.Overlaps(x)) x.CopyTo(y);
                break;
            case Activation.Relu: // max(0, x)
                TensorPrimitives.Max(x, 0f, y);
                break;
            case Activation.LeakyRelu: // x > 0 ? x : slope·x
                for (int i = 0; i < n; i++) { float v = x[i]; y[i] = v > 0 ? v : leakySlope * v; }
                break;
            case Activation.Tanh:
                TensorPrimitives.Tanh(x, y);
                break;
            case Activation.Sigmoid: // 1/(1 + e^−x)
                for (int i = 0; i < n; i++) y[i] = (float)HeadFunctions.Sigmoid<double>(x[i]);
                break;
            case Activation.Gelu: // 0.5·x·(1 + erf(x/√2)), exact
                for (int i = 0; i < n; i++) { double v = x[i]; y[i] = (float)(0.5 * v * (1.0 + SpecialFunctions.Erf(v * InvSqrt2))); }
                break;
            case Activation.Elu: // x > 0 ? x : eˣ − 1
                for (int i = 0; i < n; i++) { float v = x[i]; y[i] = v > 0 ? v : (float)(Math.Exp(v) - 1.0); }
                break;
            case Activation.Silu: // x·σ(x)
                for (int i = 0; i < n; i++) { double v = x[i]; y[i] = (float)(v * HeadFunctions.Sigmoid<double>(v)); }
                break;
            case Activation.Softplus: // ln(1 + eˣ)
                for (int i = 0; i < n; i++) y[i] = (float)SpecialFunctions.Softplus(x[i]);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }

    /// <summary>dx = dy·f′(x), with x the forward input and y = f(x) the forward output.</summary>
    public static void Backward(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> y,
        Activation activation, float leakySlope)
    {
        int n = dy.Length;
        switch (activation)
        {
            case Activation.Identity: // f′ = 1
                if (!dx.Overlaps(dy)) dy.CopyTo(dx);
                break;
            case Activation.Relu: // f′ = [x > 0]
                ReluBackward(dx, dy, x);
                break;
            case Activation.LeakyRelu: // f′ = x > 0 ? 1 : slope
                for (int i = 0; i < n; i++) dx[i] = x[i] > 0 ? dy[i] : leakySlope * dy[i];
                break;
            case Activation.Tanh: // f′ = 1 − y²
                for (int i = 0; i < n; i++) dx[i] = dy[i] * (1f - y[i] * y[i]);
                break;
            case Activation.Sigmoid: // f′ = y·(1 − y)
                for (int i = 0; i < n; i++) dx[i] = dy[i] * y[i] * (1f - y[i]);
                break;
            case Activation.Gelu: // f′ = Φ(x) + x·φ(x)
                for (int i = 0; i < n; i++)
                {
                    double v = x[i];
                    double cdf = 0.5 * (1.0 + SpecialFunctions.Erf(v * InvSqrt2));
                    double pdf = InvSqrt2Pi * Math.Exp(-0.5 * v * v);
                    dx[i] = (float)(dy[i] * (cdf + v * pdf));
                }
                break;
            case Activation.Elu: // f′ = x > 0 ? 1 : eˣ = y + 1
                for (int i = 0; i < n; i++) dx[i] = x[i] > 0 ? dy[i] : dy[i] * (y[i] + 1f);
                break;
            case Activation.Silu: // f′ = σ(x)·(1 + x·(1 − σ(x)))
                for (int i = 0; i < n; i++)
                {
                    double v = x[i];
                    double s = HeadFunctions.Sigmoid<double>(v);
                    dx[i] = (float)(dy[i] * s * (1.0 + v * (1.0 - s)));
                }
                break;
            case Activation.Softplus: // f′ = σ(x)
                for (int i = 0; i < n; i++) dx[i] = (float)(dy[i] * HeadFunctions.Sigmoid<double>(x[i]));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }

    /// <summary>dx = x &gt; 0 ? dy : 0, a lane-wise select (the same bits as the scalar loop at any vector width).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReluBackward(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> x)
    {
        int n = dy.Length;
        if (x.Length < n || dx.Length < n) throw new ArgumentException("ReLU backward: spans of different lengths.");
        ref float d0 = ref MemoryMarshal.GetReference(dx);
        ref float g0 = ref MemoryMarshal.GetReference(dy);
        ref float x0 = ref MemoryMarshal.GetReference(x);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 16 <= n; i += 16)
            {
                var keep = Vector512.GreaterThan(Vector512.LoadUnsafe(ref x0, (nuint)i), Vector512<float>.Zero);
                Vector512.ConditionalSelect(keep, Vector512.LoadUnsafe(ref g0, (nuint)i), Vector512<float>.Zero).StoreUnsafe(ref d0, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= n; i += 8)
            {
                var keep = Vector256.GreaterThan(Vector256.LoadUnsafe(ref x0, (nuint)i), Vector256<float>.Zero);
                Vector256.ConditionalSelect(keep, Vector256.LoadUnsafe(ref g0, (nuint)i), Vector256<float>.Zero).StoreUnsafe(ref d0, (nuint)i);
            }
        }
        for (; i < n; i++) dx[i] = x[i] > 0 ? dy[i] : 0f;
    }

    /// <summary>Whether the activation is ReLU-like (He initialization) rather than Glorot's symmetric case.</summary>
    public static bool UsesHeInitialization(Activation activation)
        => activation is Activation.Relu or Activation.LeakyRelu or Activation.Gelu
            or Activation.Elu or Activation.Silu or Activation.Softplus;
}
