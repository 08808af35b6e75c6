// CoreCLR honours this attribute at run time: code in this assembly may use the internals of the named assemblies,
// which it was compiled against in publicized form (build/Publicize.targets). Without it, saving throws
// MethodAccessException and [LoadableClass] registrations are dropped silently.
[assembly: System.Runtime.CompilerServices.IgnoresAccessChecksTo("Microsoft.ML.Core")]
[assembly: System.Runtime.CompilerServices.IgnoresAccessChecksTo("Microsoft.ML.Data")]

namespace System.Runtime.CompilerServices
{
    /// <summary>Tells the runtime to skip access checks from this assembly to the named one.</summary>
    [AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
    internal sealed class IgnoresAccessChecksToAttribute : Attribute
    {
        /// <summary>Creates the attribute for the assembly with the given simple name.</summary>
        public IgnoresAccessChecksToAttribute(string assemblyName) => AssemblyName = assemblyName;

        /// <summary>The simple name of the assembly whose internals are used.</summary>
        public string AssemblyName { get; }
    }
}
