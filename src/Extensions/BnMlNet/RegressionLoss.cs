namespace BnMlNet;

/// <summary>The loss a BatchNormMlp regression trainer minimizes (see <see cref="BatchNormMlpRegressionTrainer.Options.Loss"/>).</summary>
public enum RegressionLoss
{
    /// <summary>(ŷ − y)², as nn.MSELoss.</summary>
    SquaredError = 0,
    /// <summary>Poisson negative log-likelihood with a log link, as nn.PoissonNLLLoss(log_input=True): for counts; Score = e^output.</summary>
    Poisson = 1,
    /// <summary>Huber loss with δ = 1, as nn.HuberLoss: quadratic near 0, linear beyond.</summary>
    Huber = 2,
}
