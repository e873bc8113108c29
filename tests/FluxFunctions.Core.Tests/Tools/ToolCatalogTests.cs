using FluxFunctions.Requests;
using FluxFunctions.Requests.Tools;

namespace FluxFunctions.Core.Tests.Tools;

public sealed class ToolCatalogTests
{
    [Fact]
    public void All_EveryKey_HasExactlyOneDescriptionWithAUniqueName()
    {
        Assert.Equal(Enum.GetValues<FluxTool>().Order(), ToolCatalog.All.Select(t => t.Key).Order());
        Assert.Equal(ToolCatalog.All.Count, ToolCatalog.All.Select(t => t.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Theory]
    [InlineData("fill", FluxTool.Fill)]
    [InlineData(" Canny ", FluxTool.Canny)]
    [InlineData("DEPTH", FluxTool.Depth)]
    [InlineData("redux", FluxTool.Redux)]
    public void TryGet_NameInAnyCase_FindsTheTool(string name, FluxTool expected)
    {
        Assert.True(ToolCatalog.TryGet(name, out var tool));
        Assert.Equal(expected, tool.Key);
        Assert.Equal(tool.Name, expected.Name());
    }

    [Fact]
    public void TryGet_UnknownName_IsFalse()
    {
        Assert.False(ToolCatalog.TryGet("sharpen", out _));
        Assert.False(FluxTools.TryParse(null, out _));
    }

    [Fact]
    public void Descriptions_OfTheFourTools_KeepSpecSectionOneRules()
    {
        Assert.Equal((FluxModels.Fill, MaskUse.RequiredUnlessOutpaint, true, true), (ToolCatalog.Fill.DefaultModel, ToolCatalog.Fill.Mask, ToolCatalog.Fill.CropToContext, ToolCatalog.Fill.Stitches));
        Assert.Equal((FluxModels.Canny, GuideKind.Canny, PreprocessMode.Local), (ToolCatalog.Canny.DefaultModel, ToolCatalog.Canny.Guide, ToolCatalog.Canny.DefaultPreprocess));
        Assert.Equal((FluxModels.Depth, GuideKind.Depth, PreprocessMode.Runware), (ToolCatalog.Depth.DefaultModel, ToolCatalog.Depth.Guide, ToolCatalog.Depth.DefaultPreprocess));
        Assert.True(ToolCatalog.Redux.ModelIsBase);
        Assert.Equal(PromptUse.Optional, ToolCatalog.Redux.Prompt);
        Assert.All(new[] { ToolCatalog.Canny, ToolCatalog.Depth, ToolCatalog.Redux }, t => Assert.Equal(MaskUse.None, t.Mask));
    }

    [Fact]
    public void Refuses_OnlyNamesFieldsTheParserKnowsOrGeneralSettings()
    {
        string[] general = [ToolFields.Width, ToolFields.Height, ToolFields.Steps, ToolFields.CfgScale, ToolFields.Seed];
        foreach (var tool in ToolCatalog.All)
        {
            Assert.All(tool.Refuses.Keys, field => Assert.True(EditOptionsParser.ForbiddenParameters.Contains(field) || general.Contains(field), $"{tool.Name} refuses '{field}', which no input can carry"));
        }
    }

    [Fact]
    public void Taking_ListsTheToolsThatTakeAField()
    {
        Assert.Equal("canny and depth", ToolCatalog.Taking(ToolFields.Preprocess));
        Assert.Equal("redux", ToolCatalog.Taking(ToolFields.BaseModel));
        Assert.Equal("fill and fill-pro", ToolCatalog.Taking(ToolFields.Outpaint));
        Assert.Equal("erase, fill and fill-pro", ToolCatalog.Taking(ToolFields.Mask));
    }

    [Fact]
    public void IsToolModel_ToolModelsAndTheAdapter_AreNotBaseModels()
    {
        Assert.True(ToolCatalog.IsToolModel(FluxModels.Fill));
        Assert.True(ToolCatalog.IsToolModel(FluxModels.Redux));
        Assert.False(ToolCatalog.IsToolModel(EditDefaults.ReduxBaseModel));
    }
}
