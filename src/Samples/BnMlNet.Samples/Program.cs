namespace BnMlNet.Samples;

/// <summary>Entry point of the sample app.</summary>
public static class Program
{
    /// <summary>Runs the sample app.</summary>
    public static int Main(string[] args)
    {
        Console.WriteLine("BnMlNet samples: under construction.");
        return 0;
    }
}
