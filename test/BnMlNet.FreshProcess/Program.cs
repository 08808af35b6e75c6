using Microsoft.ML;

// Usage: BnMlNet.FreshProcess <model.zip> <input.idv> <output.idv>
// Loads the model with a fresh MLContext, scores the input (ML.NET binary IDataView) and saves every column.
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: BnMlNet.FreshProcess <model.zip> <input.idv> <output.idv>");
    return 2;
}

var ml = new MLContext();
ITransformer model = ml.Model.Load(args[0], out _);
IDataView input = ml.Data.LoadFromBinary(args[1]);
IDataView scored = model.Transform(input);
using (var output = File.Create(args[2]))
    ml.Data.SaveAsBinary(scored, output, keepHidden: false);
Console.WriteLine($"scored {args[1]} with {args[0]}");
return 0;
