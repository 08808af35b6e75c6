using BnMlNet.Engine;

namespace BnMlNet.MlNet.Trainers;

/// <summary>
/// The small-table rule behind the automatic <see cref="BatchNormMlpOptionsBase.EnsembleSize"/> and
/// <see cref="BatchNormMlpOptionsBase.RefitOnAllRows"/> (both when null, the defaults since round 9; 1 and false before): a table is small when one member's
/// training work, N rows trained on × the dense multiply-adds of one member's forward pass per row, is at most
/// <see cref="MaximumMemberWork"/>. A small table gets <see cref="Members"/> members (with the numerical embedding too,
/// which the members then share) and the refit on all rows; any other table 1 member and no refit, exactly
/// as before the rule. The evidence (9 tables under 10,000 rows, 4 seeds) is in docs/tabular-recipe.md, round 9.
/// </summary>
internal static class SmallTableRule
{
    /// <summary>The members of an automatic ensemble (the anchor recipe's 5).</summary>
    public const int Members = 5;

    /// <summary>
    /// The most rows × multiply-adds per row (one member) of a small table: 20 M, between chile_vote (16.5 M, the
    /// largest table where five members and the refit stay far under half a second) and slid_logwage (24.3 M).
    /// </summary>
    public const long MaximumMemberWork = 20L * 1000 * 1000;

    /// <summary>One member's work: <paramref name="rowsTrainedOn"/> × the dense multiply-adds of one member's forward pass per row.</summary>
    public static long MemberWork(NetworkSpec member, long rowsTrainedOn) =>
        rowsTrainedOn * AutoThreads.StepMultiplyAdds(member with { EnsembleSize = 1 }, 1);

    /// <summary>Whether <paramref name="member"/> on <paramref name="rowsTrainedOn"/> rows (more than 0) is a small table.</summary>
    public static bool IsSmall(NetworkSpec member, long rowsTrainedOn) =>
        rowsTrainedOn > 0 && MemberWork(member, rowsTrainedOn) <= MaximumMemberWork;

    /// <summary>The automatic ensemble size for <paramref name="member"/> (its <see cref="NetworkSpec.EnsembleSize"/> ignored).</summary>
    public static int EnsembleSize(NetworkSpec member, long rowsTrainedOn) =>
        IsSmall(member, rowsTrainedOn) ? Members : 1;
}
