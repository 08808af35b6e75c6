// MSBuild inline task (RoslynCodeTaskFactory): writes copies of reference assemblies in which internal types and
// members are public and `private protected` members are `protected`. Used only at compile time.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class BnPublicizeAssemblies : Task
{
    [Required] public ITaskItem[] Assemblies { get; set; }
    [Required] public string CecilPath { get; set; }
    [Required] public string CacheDirectory { get; set; }
    [Required] public string SaltFile { get; set; }
    [Output] public ITaskItem[] Publicized { get; set; }

    public override bool Execute()
    {
        // MSBuild does not resolve an inline task's own references at run time: load Mono.Cecil ourselves.
        var cecil = Assembly.LoadFrom(CecilPath);
        ResolveEventHandler resolve = (s, e) => new AssemblyName(e.Name).Name == "Mono.Cecil" ? cecil : null;
        AppDomain.CurrentDomain.AssemblyResolve += resolve;
        try
        {
            Directory.CreateDirectory(CacheDirectory);
            Publicized = Assemblies.Select(PublicizeOne).ToArray();
            return !Log.HasLoggedErrors;
        }
        finally
        {
            AppDomain.CurrentDomain.AssemblyResolve -= resolve;
        }
    }

    private ITaskItem PublicizeOne(ITaskItem item)
    {
        string source = item.ItemSpec;
        var info = new FileInfo(source);
        // Key the copy on the source path, size and mtime plus this file: a stale copy is never reused.
        string key = Hash(source + "|" + info.Length + "|" + info.LastWriteTimeUtc.Ticks + "|" + File.ReadAllText(SaltFile));
        string dir = Path.Combine(CacheDirectory, Path.GetFileNameWithoutExtension(source) + "-" + key);
        string target = Path.Combine(dir, Path.GetFileName(source));
        if (!File.Exists(target))
        {
            Directory.CreateDirectory(dir);
            // Write to a temp file, then rename: a concurrent build never sees a half-written copy.
            string temp = target + "." + Guid.NewGuid().ToString("N") + ".tmp";
            CecilRewriter.Rewrite(source, temp);
            try { File.Move(temp, target); }
            catch (IOException) when (File.Exists(target)) { File.Delete(temp); }
            Log.LogMessage(MessageImportance.Low, "Publicized " + source + " -> " + target);
        }
        var result = new TaskItem(target);
        item.CopyMetadataTo(result);
        return result;
    }

    private static string Hash(string text)
    {
        using (var sha = SHA256.Create())
            return BitConverter.ToString(sha.ComputeHash(Encoding.UTF8.GetBytes(text))).Replace("-", "").Substring(0, 16);
    }
}

// Kept in its own class so that Mono.Cecil types are touched only after the resolver is installed.
public static class CecilRewriter
{
    public static void Rewrite(string source, string target)
    {
        var resolver = new Mono.Cecil.DefaultAssemblyResolver();
        resolver.AddSearchDirectory(Path.GetDirectoryName(source));
        var parameters = new Mono.Cecil.ReaderParameters { AssemblyResolver = resolver, ReadingMode = Mono.Cecil.ReadingMode.Immediate };
        using (var assembly = Mono.Cecil.AssemblyDefinition.ReadAssembly(source, parameters))
        {
            foreach (var type in assembly.MainModule.GetTypes())
                PublicizeType(type);
            assembly.Write(target);
        }
    }

    private static void PublicizeType(Mono.Cecil.TypeDefinition type)
    {
        if (type.Name == "<Module>" || type.Name.StartsWith("<")) return;
        if (type.IsNested)
        {
            if (type.IsNestedAssembly || type.IsNestedPrivate || type.IsNestedFamilyAndAssembly)
                type.IsNestedPublic = true;
        }
        else if (type.IsNotPublic)
        {
            type.IsPublic = true;
        }

        var eventNames = new HashSet<string>(type.Events.Select(e => e.Name));
        foreach (var method in type.Methods)
        {
            // Explicit interface implementations stay as they are.
            if (method.HasOverrides) continue;
            if (method.IsAssembly) method.IsPublic = true;                 // internal -> public
            else if (method.IsFamilyAndAssembly) method.IsFamily = true;   // private protected -> protected
            // protected and protected internal stay: an override would otherwise need `public override` (CS0507).
        }
        foreach (var field in type.Fields)
        {
            if (eventNames.Contains(field.Name)) continue;                // event backing fields
            if (field.IsAssembly) field.IsPublic = true;
            else if (field.IsFamilyAndAssembly) field.IsFamily = true;
        }
    }
}
