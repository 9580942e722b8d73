#nullable enable
using System.Runtime.InteropServices;

namespace CellPainting.OnnxRuntime;

/// <summary>
/// The C API's <c>OrtCUDAProviderOptions</c> struct (onnxruntime_c_api.h), field for field, for
/// <see cref="CudaExecutionProvider"/>. The defaults are those of the header's C++ constructor.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct LegacyCudaProviderOptions
{
    public int DeviceId;
    public int CudnnConvAlgoSearch;
    public nuint GpuMemLimit;
    public int ArenaExtendStrategy;
    public int DoCopyInDefaultStream;
    public int HasUserComputeStream;
    public nint UserComputeStream;
    public nint DefaultMemoryArenaCfg;
    public int TunableOpEnable;
    public int TunableOpTuningEnable;
    public int TunableOpMaxTuningDurationMs;

    /// <summary>The header's defaults (exhaustive cuDNN algorithm search, no memory limit, copies on the compute stream) for one device.</summary>
    public static LegacyCudaProviderOptions ForDevice(int deviceId) => new()
    {
        DeviceId = deviceId,
        CudnnConvAlgoSearch = 0,
        GpuMemLimit = nuint.MaxValue,
        DoCopyInDefaultStream = 1,
    };
}
